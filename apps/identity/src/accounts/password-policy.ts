/**
 * The password a user chooses: at least 8 characters, at least 3 of the 4 classes
 * (upper case, lower case, digits, other), not containing the username, not the initial
 * password. Returns the Chinese reason, or undefined when acceptable.
 */
export function passwordProblem(
  password: string,
  username: string,
  initialPassword: string | null,
): string | undefined {
  if ([...password].length < 8) return '新密码至少8个字符';
  if (initialPassword !== null && password === initialPassword) return '新密码不能与初始密码相同';
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
  if (classes < 3) return '新密码须包含大写字母、小写字母、数字、符号中的至少三类';
  if (password.toLowerCase().includes(username.toLowerCase())) return '新密码不能包含账号';
  return undefined;
}
