import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** `?page=1&pageSize=50` as every list takes it. */
export class PageQuery {
  @ApiPropertyOptional({ default: 1 })
  @Type(() => Number)
  @IsInt({ message: 'page 应为正整数' })
  @Min(1, { message: 'page 应为正整数' })
  page = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @Type(() => Number)
  @IsInt({ message: 'pageSize 应为1到200的整数' })
  @Min(1, { message: 'pageSize 应为1到200的整数' })
  @Max(200, { message: 'pageSize 应为1到200的整数' })
  pageSize = 50;
}
