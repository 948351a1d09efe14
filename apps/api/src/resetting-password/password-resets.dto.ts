import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { EmailField } from '../registering-user/register-user.dto';

export class RequestPasswordResetDto {
  @EmailField()
  email!: string;
}

export class ResetSecondFactorDto {
  @ApiProperty({ enum: ['totp', 'recovery_code'] }) @IsIn(['totp', 'recovery_code']) method!: 'totp' | 'recovery_code';
  @ApiProperty({ example: '123456' }) @IsString() @MaxLength(64) @Matches(/^[A-Za-z0-9 -]+$/) code!: string;
}

export class ConfirmPasswordResetDto {
  @ApiProperty({ description: 'The token from the emailed link (after #token=)' })
  @IsString()
  @MaxLength(200)
  token!: string;
  @ApiProperty({ minLength: 12, maxLength: 128 }) @IsString() @MaxLength(1024) newPassword!: string;
  @ApiProperty() @IsString() @MaxLength(1024) newPasswordRepeat!: string;
  @ApiPropertyOptional({
    type: ResetSecondFactorDto,
    description: 'Needed when the account has two-step verification (403 mfa_required lists the methods)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResetSecondFactorDto)
  secondFactor?: ResetSecondFactorDto;
}
