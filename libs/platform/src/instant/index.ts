/** The API's instant format alone, for code that must not load the HTTP and Nest parts of the platform. */
export * from '../http/instant';
