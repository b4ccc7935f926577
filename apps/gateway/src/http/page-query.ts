import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { MAX_PAGE } from '@app/contracts';
import { IsInt, Max, Min } from 'class-validator';

const PAGE_MESSAGE = `page 应为1到${MAX_PAGE}的整数`;

/** `?page=1&pageSize=50` as every list takes it. */
export class PageQuery {
  @ApiPropertyOptional({ default: 1, maximum: MAX_PAGE })
  @Type(() => Number)
  @IsInt({ message: PAGE_MESSAGE })
  @Min(1, { message: PAGE_MESSAGE })
  @Max(MAX_PAGE, { message: PAGE_MESSAGE })
  page = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @Type(() => Number)
  @IsInt({ message: 'pageSize 应为1到200的整数' })
  @Min(1, { message: 'pageSize 应为1到200的整数' })
  @Max(200, { message: 'pageSize 应为1到200的整数' })
  pageSize = 50;
}
