import { redactAddresses } from '../../src/mail/mail-sender';

test('SMTP replies lose the addresses they name', () => {
  expect(redactAddresses('550 5.1.1 <Ann.Example@example.org>: Recipient address rejected')).toBe(
    '550 5.1.1 <[address]>: Recipient address rejected',
  );
  expect(redactAddresses('Can not send mail to ann@example.org, bob@x.example')).toBe('Can not send mail to [address], [address]');
  expect(redactAddresses('451 Try again later')).toBe('451 Try again later');
});
