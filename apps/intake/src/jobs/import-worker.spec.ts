import { CommonErrorCodes } from '@app/contracts';
import { PackageError } from '@app/package';
import { DomainError, ServiceUnavailableError } from '@app/platform';
import { finalFailure } from './import-worker';

describe('which import failures are final', () => {
  it('fails at once on a refused package, with its own code', () => {
    expect(finalFailure(new PackageError('NOT_A_ZIP', '不是ZIP', { a: 1 }))).toEqual({
      code: 'NOT_A_ZIP',
      message: '不是ZIP',
      details: { a: 1 },
    });
  });

  it('fails at once when a service refuses the content as invalid (a retry would be refused again)', () => {
    expect(finalFailure(new DomainError(CommonErrorCodes.VALIDATION_FAILED, '请求参数有误'))).toEqual({
      code: 'IMPORT_FAILED',
      message: '上报文件中有系统无法保存的内容，请用离线填报工具重新生成后导入',
    });
  });

  it('retries when a service was unavailable or anything else broke', () => {
    expect(finalFailure(new ServiceUnavailableError('review.import.commit'))).toBeUndefined();
    expect(finalFailure(new Error('connection reset'))).toBeUndefined();
  });
});
