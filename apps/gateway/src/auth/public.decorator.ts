import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Marks a route that needs no login. Every other route requires a valid access token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
