import { ParseUUIDPipe } from '@nestjs/common';
import { CommonErrorCodes } from '@app/contracts';
import { DomainError } from '@app/platform/core';

/** A path id that is not a UUID is a 400 with a Chinese message, never a 500. */
export function uuidParam(): ParseUUIDPipe {
  return new ParseUUIDPipe({
    version: '4',
    exceptionFactory: () => new DomainError(CommonErrorCodes.VALIDATION_FAILED, '编号格式有误'),
  });
}
