import { ApiProperty } from '@nestjs/swagger';

export class SiteCodeRecoveryAnswerDto {
  @ApiProperty({ type: String, description: '无论信息是否一致都相同的答复' }) message: string;
}
