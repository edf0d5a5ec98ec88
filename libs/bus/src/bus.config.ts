export { BusEnvironment } from '@vista/contracts';
