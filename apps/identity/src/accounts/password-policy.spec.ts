import { passwordProblem } from './password-policy';

describe('password policy', () => {
  it.each([
    ['Ab3dEf', '新密码至少8个字符'],
    ['abcdefgh1', '新密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['ABCDEFGH!', '新密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['X130300yz!', '新密码不能包含账号'],
    ['Ab3dEfGhJk', '新密码不能与初始密码相同'],
  ])('refuses %s', (password, reason) => {
    expect(passwordProblem(password, '130300', 'Ab3dEfGhJk')).toBe(reason);
  });

  it.each(['Winter-2026', 'abc123!@#x', 'GOV2026site#', '政府网站Ab12'])('accepts %s', (password) => {
    expect(passwordProblem(password, '130300', 'Ab3dEfGhJk')).toBeUndefined();
  });
});
