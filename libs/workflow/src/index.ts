// @app/workflow — the review workflow's rules, defined once: which unit may take which action on
// a record in each status, where a move takes it, what the bulk actions select. Pure and
// browser-safe: review enforces these rules, the web console shows its buttons from them.
export * from './statuses';
export * from './rules';
export * from './route';
export * from './bulk';
