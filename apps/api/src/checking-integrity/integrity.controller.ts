import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditIntegrity } from '@app/audit-trail';
import { RequireRoles } from '@app/http-edge';

/** Whether the stored log still matches the signed audit chain, checked with the public key. */
@ApiTags('administration')
@ApiBearerAuth()
@RequireRoles('auditor', 'admin')
@Controller('v1/admin/integrity')
export class IntegrityController {
  constructor(private readonly integrity: AuditIntegrity) {}

  @Get()
  @ApiOkResponse({
    description:
      '{status: intact|broken, checkedAt, keyId, publicKey, events, verified: {fromPosition, toPosition, events} | null, lastCheckpoint: {toSeq, position, signedAt, link} | null, pending, firstBroken: {seq, position, reason} | null}',
  })
  check() {
    return this.integrity.check();
  }
}
