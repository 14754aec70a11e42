/** The error codes live on the ground floor (core/errors.ts) so engines and stores need nothing from api/. */
export * from '../errors.js';
