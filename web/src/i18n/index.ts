// Public surface of web/src/i18n: the i18next instance, the languages and the switch between them.
export * from './i18n';
export { en } from './en';
export { zhTW } from './zh-tw';
