import { Access } from './access';

/** Marks a route that needs no login: `@Access('public')`. */
export const Public = () => Access('public');
