export { KeysScreen } from './components/keys-screen';
