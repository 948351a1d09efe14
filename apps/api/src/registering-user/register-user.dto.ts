import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { EMAIL_ADDRESS_PROBLEMS, emailAddressProblem } from '@app/security';

/** An address a mail system would take as it is: see emailAddressProblem for the rules. */
export function IsDeliverableEmail(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDeliverableEmail',
      validator: {
        validate: (value) => typeof value === 'string' && emailAddressProblem(value) === null,
        defaultMessage: (args) => EMAIL_ADDRESS_PROBLEMS[emailAddressProblem(String(args?.value ?? '')) ?? 'format'],
      },
    },
    options,
  );
}

/** An email field of a request: trimmed, at most 254 characters, deliverable. */
export function EmailField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ example: 'ada@example.com', maxLength: 254 }),
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    MaxLength(254),
    IsDeliverableEmail(),
  );
}

export class RegisterUserDto {
  @EmailField()
  email!: string;

  @ApiProperty({ minLength: 12, maxLength: 128, description: '12 to 128 characters, any Unicode' })
  @IsString()
  @MaxLength(1024) // the policy answers above 128 with password_policy; this only bounds the work
  password!: string;
}

export class RegisteredUserDto {
  @ApiProperty({ format: 'uuid' })
  userId!: string;
}

export class RegistrationStartedDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Confirm at POST /v1/users/registrations/{registrationId} with the mailed code',
  })
  registrationId!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time' }) resendAvailableAt!: string;
}

export class ResendAvailableDto {
  @ApiProperty({ format: 'date-time' }) resendAvailableAt!: string;
}
