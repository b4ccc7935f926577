import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommonErrorCodes } from '@app/contracts';
// The constants only: the package barrel would load the readers and exceljs into the gateway.
import { OFFLINE_CLIENT_DOWNLOAD_NAME, OFFLINE_CLIENT_HTML } from '@app/package/offline-client';
import { DomainError } from '@app/platform/core';
import { contentDisposition } from '../http/download';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, webDistDir } from './web-root';
import { Access } from '../auth/access';

/**
 * Serves the offline client at `/client` (and as a download: one HTML file that works
 * from disk with no network), and the browser console at `/`. Until the console is built (`npm run build:web`),
 * `/` shows a plain status page with the links that already work.
 */
@ApiExcludeController()
@Controller()
export class WebController {
  @Access('public')
  @Get()
  @Header('Cache-Control', 'no-cache')
  index(@Res() res: Response): void {
    const console = join(webDistDir(), 'index.html');
    if (existsSync(console)) return res.sendFile(console);
    res.type('html').send(STATUS_PAGE);
  }

  @Access('public')
  @Get('client')
  @Header('Cache-Control', 'no-cache')
  client(@Res() res: Response): void {
    res.sendFile(offlineClient());
  }

  @Access('public')
  @Get('client/download')
  download(@Res() res: Response): void {
    res.setHeader('Content-Disposition', contentDisposition(OFFLINE_CLIENT_DOWNLOAD_NAME));
    res.type('html').sendFile(offlineClient());
  }
}

function offlineClient(): string {
  const file = join(projectRoot(), OFFLINE_CLIENT_HTML);
  if (!existsSync(file))
    throw new DomainError(CommonErrorCodes.SERVICE_UNAVAILABLE, '离线填报工具尚未构建，请运行 npm run build');
  return file;
}

const STATUS_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>全国政府网站信息报送系统</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:"Microsoft YaHei","PingFang SC",sans-serif;max-width:720px;margin:60px auto;color:#222;line-height:1.7}
h1{font-size:24px;color:#b71c1c}a{color:#0d47a1}li{margin:6px 0}</style></head>
<body><h1>全国政府网站信息报送系统</h1>
<p>系统已启动。网页控制台尚未构建，可先使用：</p>
<ul><li><a href="/client">离线填报工具</a>（<a href="/client/download">下载为单个文件</a>，无需安装，断网可用）</li>
<li><a href="/api/v1/health">服务运行状态</a></li><li><a href="/api/docs">接口文档（OpenAPI）</a></li></ul>
</body></html>`;
