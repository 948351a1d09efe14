import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class SignInDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password!: string;
}

class SessionSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() expiresAt!: string;
}

export class AuthenticatedDto {
  @ApiProperty({ enum: ['authenticated'] }) status!: 'authenticated';
  @ApiProperty({ description: 'Bearer token; shown once, stored only as a SHA-256 hash' }) token!: string;
  @ApiProperty({ type: SessionSummaryDto }) session!: SessionSummaryDto;
}
