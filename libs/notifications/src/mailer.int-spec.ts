import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { simpleParser } from 'mailparser';
import { APP_CONFIG, AppConfig, loadConfig, Metrics } from '@app/platform';
import { startSmtpCapture, SmtpCapture } from '../../../test/support/smtp-capture';
import { Mailer, OutgoingMail } from './mailer.port';
import { NotificationsModule } from './notifications.module';
import { passwordChanged } from './templates';

// As in the apps: the configuration is global, so the mailer's own module can inject it too.
@Global()
@Module({})
class TestConfigModule {
  static with(config: AppConfig): DynamicModule {
    return {
      module: TestConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Metrics, useValue: new Metrics() },
      ],
      exports: [APP_CONFIG, Metrics],
    };
  }
}

const message: OutgoingMail = {
  to: 'ada@example.com',
  ...passwordChanged({
    email: 'ada@example.com',
    occurredAt: '2025-11-23T14:50:07.000Z',
    browser: 'Firefox',
    os: 'Windows',
    ip: '203.0.113.7',
    location: 'Berlin, Germany',
  }),
};

describe('Mailer (NotificationsModule)', () => {
  let dataDir: string;
  let moduleRef: TestingModule | undefined;

  async function mailerWith(env: Record<string, string>): Promise<Mailer> {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...env });
    moduleRef = await Test.createTestingModule({
      imports: [TestConfigModule.with(config), NotificationsModule],
    }).compile();
    await moduleRef.init();
    return moduleRef.get(Mailer);
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'notifications-'));
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('with SMTP_URL', () => {
    let smtp: SmtpCapture;
    beforeEach(async () => {
      smtp = await startSmtpCapture();
    });
    afterEach(async () => {
      await smtp.close();
    });

    it('delivers the message over SMTP: recipient, sender, subject, text and HTML arrive', async () => {
      const mailer = await mailerWith({ SMTP_URL: smtp.url, MAIL_FROM: 'Security <security@example.test>' });

      await mailer.send(message);

      const received = await smtp.waitFor((mail) => mail.to.includes('ada@example.com'));
      expect(received.to).toEqual(['ada@example.com']);
      expect(received.from).toBe('"Security" <security@example.test>');
      expect(received.subject).toBe('Your password was changed');
      expect(received.text.trim()).toBe(message.text.trim());
      expect(received.html).toContain('Firefox on Windows');
      expect(received.html).toContain('203.0.113.7');
      expect(existsSync(join(dataDir, 'outbox'))).toBe(false);
    });

    it('sends to exactly one address, even when the recipient string looks like a list', async () => {
      const mailer = await mailerWith({ SMTP_URL: smtp.url });

      await expect(mailer.send({ ...message, to: 'ada@example.com, eve@example.com' })).rejects.toThrow(/recipient/i);
      expect(smtp.messages).toHaveLength(0);
    });
  });

  describe('without SMTP_URL', () => {
    it('writes a parseable .eml file into DATA_DIR/outbox, readable by the owner only', async () => {
      const mailer = await mailerWith({});

      await mailer.send(message);

      const outbox = join(dataDir, 'outbox');
      const files = readdirSync(outbox);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{12}\.eml$/);
      const file = join(outbox, files[0]);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      const parsed = await simpleParser(readFileSync(file));
      expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : null).toEqual([
        'ada@example.com',
      ]);
      expect(parsed.from?.text).toBe('"Account Security" <no-reply@localhost>');
      expect(parsed.subject).toBe('Your password was changed');
      expect(parsed.text?.trim()).toBe(message.text.trim());
      expect(parsed.html).toContain('Berlin, Germany');
    });

    it('in development, logs subject and file, never the body nor the address', async () => {
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      const mailer = await mailerWith({ NODE_ENV: 'development' });

      await mailer.send(message);

      const lines = log.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith('Mail written'));
      expect(lines).toHaveLength(1);
      const [file] = readdirSync(join(dataDir, 'outbox'));
      expect(lines[0]).toBe(`Mail written, subject "Your password was changed": ${join(dataDir, 'outbox', file)}`);
      expect(lines[0]).not.toContain('203.0.113.7');
      expect(lines[0]).not.toContain('ada@example.com');
    });

    it('logs nothing outside development', async () => {
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      const mailer = await mailerWith({});

      await mailer.send(message);

      expect(log.mock.calls.filter(([line]) => String(line).startsWith('Mail written'))).toHaveLength(0);
    });

    it("forgets every kept message to an erased person's addresses, whatever their letter case", async () => {
      const mailer = await mailerWith({});
      await mailer.send(message);
      await mailer.send({ ...message, to: 'Ada.Old@Example.com' });
      await mailer.send({ ...message, to: 'bob@example.com' });
      expect(await mailer.forgetMailTo(['ada@example.com', 'ada.old@example.com'])).toBe(2);
      const left = readdirSync(join(dataDir, 'outbox')).map((f) => readFileSync(join(dataDir, 'outbox', f), 'utf8'));
      expect(left).toHaveLength(1);
      expect(left[0]).toContain('bob@example.com');
      expect(await mailer.forgetMailTo(['ada@example.com'])).toBe(0);
    });

    it('two erasures forgetting the same mail at once both succeed, and each message is forgotten once', async () => {
      const mailer = await mailerWith({});
      for (let i = 0; i < 20; i += 1) await mailer.send(message);
      const counts = await Promise.all([
        mailer.forgetMailTo(['ada@example.com']),
        mailer.forgetMailTo(['ada@example.com']),
      ]);
      expect(counts[0] + counts[1]).toBe(20);
      expect(readdirSync(join(dataDir, 'outbox'))).toHaveLength(0);
    });
  });
});
