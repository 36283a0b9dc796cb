export { LaterScreen } from './components/later-screen';
