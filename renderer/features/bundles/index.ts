export { BundlesScreen } from './components/bundles-screen';
