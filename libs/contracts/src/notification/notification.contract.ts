import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Page, MAX_PAGE } from '../common/actor';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';

/** Internal: an in-app notice for a unit. `key` makes a repeated delivery harmless. */
export class CreateNoticeRequest {
  @IsString() @MaxLength(200) key: string;
  @IsUUID('4') orgUnitId: string;
  @IsString() @MaxLength(50) kind: string;
  @IsString() @MaxLength(200) title: string;
  @IsString() @MaxLength(5000) body: string;
}

/** Internal: one email. `key` makes a repeated delivery harmless (sent once). */
export class SendMailRequest {
  @IsString() @MaxLength(200) key: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsEmail({}, { each: true }) to: string[];
  @IsString() @MaxLength(200) subject: string;
  @IsString() @MaxLength(20000) text: string;
}

/** Most mails one `notification.mail.sendMany` carries (a sender keeps the message under the bus's 1 MB too). */
export const MAX_MAILS_PER_MESSAGE = 200;

/** Internal: several emails at once (a batch approval's code mails); each is stored once per key. */
export class SendMailsRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MAILS_PER_MESSAGE)
  @ValidateNested({ each: true })
  @Type(() => SendMailRequest)
  mails: SendMailRequest[];
}

export class ListNoticesRequest extends ActorRequest {
  @IsOptional() @IsBoolean() unreadOnly?: boolean;
  @IsInt() @Min(1) @Max(MAX_PAGE) page: number;
  @IsInt() @Min(1) @Max(200) pageSize: number;
}

export class MarkNoticeReadRequest extends ActorRequest {
  @IsUUID('4') id: string;
}

export interface NoticeView {
  id: string;
  kind: string;
  /** The record the notice is about (its detail in the console), if any. */
  recordId: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export const NotificationSubjects = {
  createNotice: subject<CreateNoticeRequest, { id: string }>('notification.notice.create'),
  sendMail: subject<SendMailRequest, { id: string }>('notification.mail.send'),
  /** The mails stored, in one transaction; `stored` counts those new (a key seen before changes nothing). */
  sendMails: subject<SendMailsRequest, { stored: number }>('notification.mail.sendMany'),
  listNotices: subject<ListNoticesRequest, Page<NoticeView> & { unread: number }>('notification.notice.list'),
  markRead: subject<MarkNoticeReadRequest, NoticeView>('notification.notice.markRead'),
};
