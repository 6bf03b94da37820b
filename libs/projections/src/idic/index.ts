export * from './idic.document';
export * from './idic.projection';
export * from './idic.identity';
export * from './idic.needs';
export * from './idic.scores';
export * from './idic.view';
