export { DbConfigError, type DbProvider, providerFromUrl } from "./provider";
