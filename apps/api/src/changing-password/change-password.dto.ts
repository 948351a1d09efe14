import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(1024) currentPassword!: string;
  @ApiProperty({ minLength: 12, maxLength: 128 }) @IsString() @MaxLength(1024) newPassword!: string;
  @ApiProperty() @IsString() @MaxLength(1024) newPasswordRepeat!: string;
}
