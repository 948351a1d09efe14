import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength } from 'class-validator';

export class RegisterUserDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, allow_ip_domain: false }, { message: 'email must be a valid email address' })
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
