import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '@app/platform';

function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      error.constraints?.whitelistValidation
        ? { field, message: `${field} is not an accepted field` }
        : { field, message },
    );
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** DTO validation: unknown fields rejected, wrong types and missing fields named in `errors`. */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  private readonly inner = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
  });

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const isDto = metadata.type === 'body' && typeof metadata.metatype === 'function' && metadata.metatype !== Object;
    if (isDto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ValidationFailedError([{ field: '', message: 'The body must be a JSON object.' }]);
    }
    return this.inner.transform(value, metadata);
  }
}
