import { ApiProperty } from '@nestjs/swagger';
import {
  BrokenLink,
  MonitoredColumn,
  MonitoringDay,
  MonitoringProposal,
  MonitoringView,
  ProbeNowResult,
} from '@app/contracts';

export class MonitoredColumnDto implements MonitoredColumn {
  @ApiProperty({ type: String, description: '栏目名称' }) name: string;
  @ApiProperty({ type: String }) url: string;
  @ApiProperty({ type: String, description: '栏目类别（information、interaction、service）' }) category: string;
  @ApiProperty({ type: Boolean, description: '栏目页是否打开' }) ok: boolean;
  @ApiProperty({ type: String, nullable: true, description: '打不开的原因（探测失败原因代码）' }) cause: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '页面上最新的发布日期' })
  newest: string | null;
  @ApiProperty({ type: Boolean, description: '是否空白栏目' }) blank: boolean;
}

export class BrokenLinkDto implements BrokenLink {
  @ApiProperty({ type: String }) url: string;
  @ApiProperty({ type: String, description: '失败原因代码' }) cause: string;
  @ApiProperty({ type: Number, nullable: true, description: 'HTTP 状态码' }) status: number | null;
}

export class MonitoringDayDto implements MonitoringDay {
  @ApiProperty({ type: String, format: 'date', description: '北京时间的日期' }) day: string;
  @ApiProperty({ type: Number, description: '首页访问次数' }) homepageProbes: number;
  @ApiProperty({ type: Number, description: '首页打不开的次数' }) homepageFailures: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: '按原因统计的打不开次数（dns、connect、tls、http-status、timeout…）',
  })
  failuresByCause: Record<string, number>;
  @ApiProperty({ type: Number, nullable: true, description: '首页可用率（百分比，0–100，两位小数）；无访问时为 null' })
  availability: number | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '首页最新的发布日期' })
  homepageNewest: string | null;
  @ApiProperty({ type: () => MonitoredColumnDto, isArray: true }) columns: MonitoredColumn[];
  @ApiProperty({ type: Number, description: '空白栏目数' }) blankColumns: number;
  @ApiProperty({ type: Number, description: '抽查的链接数' }) linksChecked: number;
  @ApiProperty({ type: Number, description: '不能正常访问的链接数' }) brokenLinks: number;
  @ApiProperty({ type: () => BrokenLinkDto, isArray: true }) broken: BrokenLink[];
}

export class MonitoringProposalDto implements MonitoringProposal {
  @ApiProperty({ type: String, description: '评分表中的否决项或指标 key' }) key: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ enum: ['veto', 'deduction'] }) kind: 'veto' | 'deduction';
  @ApiProperty({ oneOf: [{ type: 'boolean' }, { type: 'number' }], description: '否决为 true；扣分项为个数或百分比' })
  value: boolean | number;
  @ApiProperty({ type: String, description: '依据（一句话）' }) text: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '证据：所依据的监测数据' })
  evidence: Record<string, unknown>;
}

export class MonitoringViewDto implements MonitoringView {
  @ApiProperty({ type: String }) siteCode: string;
  @ApiProperty({ type: String }) siteName: string;
  @ApiProperty({ type: String, nullable: true, description: '监测的首页；不在监测中时为 null' })
  homepageUrl: string | null;
  @ApiProperty({ type: Boolean, description: '是否在监测中（运行中的网站）' }) monitored: boolean;
  @ApiProperty({ type: Number, description: '每天访问首页的次数' }) probesPerDay: number;
  @ApiProperty({ type: String, format: 'date' }) from: string;
  @ApiProperty({ type: String, format: 'date' }) to: string;
  @ApiProperty({ type: () => MonitoringDayDto, isArray: true }) days: MonitoringDay[];
  @ApiProperty({ type: () => MonitoringProposalDto, isArray: true, description: '监测建议的单项否决和扣分' })
  proposals: MonitoringProposal[];
}

export class ProbeNowResultDto implements ProbeNowResult {
  @ApiProperty({ type: String }) url: string;
  @ApiProperty({ type: Boolean, description: '15秒内正常打开' }) ok: boolean;
  @ApiProperty({ type: String, nullable: true, description: '失败原因代码' }) cause: string | null;
  @ApiProperty({ type: String, nullable: true, example: '访问超时' }) causeLabel: string | null;
  @ApiProperty({ type: Number, nullable: true }) status: number | null;
  @ApiProperty({ type: Number }) elapsedMs: number;
  @ApiProperty({ type: String, format: 'date', nullable: true }) newestDate: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) blank: boolean | null;
  @ApiProperty({ type: Number, description: '首页上的本站链接数' }) linksFound: number;
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
}
