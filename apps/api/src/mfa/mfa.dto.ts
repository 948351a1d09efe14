import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class CodeDto {
  @ApiProperty({ description: 'A 6-digit code (app or email), or a recovery code' })
  @IsString()
  @MaxLength(64)
  code!: string;
}

/** Either `{password}` or `{method, code}`. */
export class ReauthDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1024) password?: string;
  @ApiPropertyOptional({ enum: ['totp', 'email'] }) @IsOptional() @IsIn(['totp', 'email']) method?: 'totp' | 'email';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) code?: string;
}
