export { RepositoriesScreen } from './components/repositories-screen';
export { RepositoryView } from './components/repository-view';
