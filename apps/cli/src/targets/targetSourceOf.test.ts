import { firstTerraformErrorOf } from './targetSourceOf';

describe('firstTerraformErrorOf', () => {
  it('finds the error after warnings, as `terraform output` prints it before `terraform init`', () => {
    const stderr = [
      'There are some problems with the CLI configuration:',
      '╷',
      '│ Warning: Unable to open CLI configuration file',
      '│',
      '│ The CLI configuration file at "/root/.terraformrc" does not exist.',
      '╵',
      '',
      '',
      'Error: Backend initialization required, please run "terraform init"',
      '',
      'Reason: Initial configuration of the requested backend "s3"',
    ].join('\n');
    expect(firstTerraformErrorOf(stderr)).toBe(
      'Error: Backend initialization required, please run "terraform init"',
    );
  });

  it('takes the error out of the box Terraform draws around a diagnostic', () => {
    const stderr = '╷\n│ Error: No outputs found\n│ \n│ The state file has no outputs.\n╵\n';
    expect(firstTerraformErrorOf(stderr)).toBe('Error: No outputs found');
  });

  it('finds none in output without an error', () => {
    expect(firstTerraformErrorOf('╷\n│ Warning: something\n╵\n')).toBeUndefined();
  });
});
