export { CeremoniesScreen } from './components/ceremonies-screen';
