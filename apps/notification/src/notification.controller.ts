import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateNoticeRequest,
  ListNoticesRequest,
  MarkNoticeReadRequest,
  NotificationSubjects,
  SendMailRequest,
  SendMailsRequest,
} from '@app/contracts';
import { MailService } from './mail/mail.service';
import { NoticesService } from './notices/notices.service';

@Controller()
export class NotificationController {
  constructor(
    private readonly notices: NoticesService,
    private readonly mail: MailService,
  ) {}

  @MessagePattern(NotificationSubjects.createNotice.name)
  createNotice(@Payload() request: CreateNoticeRequest) {
    return this.notices.create(request);
  }

  @MessagePattern(NotificationSubjects.listNotices.name)
  listNotices(@Payload() request: ListNoticesRequest) {
    return this.notices.list(request.actor, request.unreadOnly ?? false, request.page, request.pageSize);
  }

  @MessagePattern(NotificationSubjects.markRead.name)
  markRead(@Payload() request: MarkNoticeReadRequest) {
    return this.notices.markRead(request.actor, request.id);
  }

  @MessagePattern(NotificationSubjects.sendMail.name)
  sendMail(@Payload() request: SendMailRequest) {
    return this.mail.enqueue(request);
  }

  @MessagePattern(NotificationSubjects.sendMails.name)
  sendMails(@Payload() request: SendMailsRequest) {
    return this.mail.enqueueMany(request);
  }
}
