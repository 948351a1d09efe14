import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'isPublic';

/** Every route needs a session unless it says, visibly, that it does not. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
