import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

export class CodeDto {
  @ApiProperty({ description: 'A 6-digit code (app or email), or a recovery code' })
  @IsString()
  @MaxLength(64)
  code!: string;
}

/** Either `{password}` or `{method, code}`. */
export class ReauthDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1024) password?: string;
  /** A method that serves step-up (`totp`, `email`); checked against the registry of methods. */
  @ApiPropertyOptional({ example: 'totp' }) @IsOptional() @IsString() @MaxLength(32) method?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) code?: string;
  /** With `method: "passkey"`: the answer of navigator.credentials.get() to POST /v1/me/reauth/passkey-options. */
  @ApiPropertyOptional() @IsOptional() @IsObject() assertion?: Record<string, unknown>;
}
