// tsyringe needs the Reflect metadata polyfill loaded before it; importing DI from here guarantees the order.
import 'reflect-metadata';
// eslint-disable-next-line no-restricted-imports -- the one sanctioned import
export { container, inject, injectable, type DependencyContainer } from 'tsyringe';
