import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** `{items, total}` of one item class, named for the document (`RecordPage`, `FilePage`…). */
export function PageOf<T>(item: Type<T>, name: string): Type<{ items: T[]; total: number }> {
  class Page {
    @ApiProperty({ type: [item], description: '本页的条目' })
    items: T[];

    @ApiProperty({ type: Number, description: '符合条件的条目总数（不限于本页）', example: 1 })
    total: number;
  }
  Object.defineProperty(Page, 'name', { value: name });
  return Page;
}
