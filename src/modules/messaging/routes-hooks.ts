/**
 * /hooks/messaging: the providers' delivery-status callbacks (no /admin token; each is authenticated
 * its own way). Every accepted callback is kept in message_callbacks and applied to its send by
 * recordDeliveryStatus. A bad signature is 401, a body that cannot be read 400, never a 500.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest, FastifySchema } from 'fastify';
import { safeEqual } from '../../platform/crypto.ts';
import type { ErrorCode } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import type { Deps } from '../../platform/module.ts';
import {
  parseGeneric,
  parseSmtpFeed,
  parseTwilio,
  standardSigner,
  twilioSignature,
  unauthorized,
} from './hooks.ts';
import { recordDeliveryStatus } from './ledger.ts';
import { twilioCallbackUrl } from './registry.ts';
import type { DeliveryStatus } from './types.ts';

const tags = ['messaging'];
const Received = Type.Object(
  {
    found: Type.Boolean({ description: 'Whether the send the callback is about was found' }),
    send_id: Type.Union([Type.Null(), Type.String()]),
  },
  { $id: 'MessagingCallbackReceived' },
);
const schemaOf = (operationId: string, summary: string, description: string): FastifySchema => ({
  operationId,
  tags,
  security: [] as Record<string, string[]>[],
  summary,
  description,
  problems: ['UNAUTHORIZED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE'] as ErrorCode[],
  response: { 200: Received },
});

/** The raw body as text (the parsers of this plugin keep it as it came, for the signatures). */
const rawText = (req: FastifyRequest): string => (typeof req.body === 'string' ? req.body : '');

export const providerHookRoutes = (app: HttpApp, deps: Deps): void => {
  const nowSeconds = () => Math.floor(deps.clock.now().getTime() / 1000);

  /**
   * Applies a status through the ledger, which keeps the callback in message_callbacks (with `raw`,
   * the callback as received); a callback that changes nothing (Twilio's queued, sent …) is kept here.
   */
  const apply = (provider: string, status: DeliveryStatus | undefined, label: string, raw: unknown) =>
    deps.db.tx(async (tx) => {
      if (status) {
        const r = await recordDeliveryStatus(tx, deps, { ...status, raw });
        return { found: r.found, send_id: r.found ? (r.sendId ?? status.sendId ?? null) : null };
      }
      await tx.query(
        `INSERT INTO message_callbacks (provider, send_id, status, payload, received_at)
         VALUES ($1, NULL, $2, $3::jsonb, $4)`,
        [provider, label, JSON.stringify(raw), deps.clock.now()],
      );
      return { found: false, send_id: null };
    });

  app.register(
    async (hooks) => {
      hooks.removeAllContentTypeParsers();
      hooks.addContentTypeParser(
        ['application/json', 'application/x-www-form-urlencoded'],
        { parseAs: 'string' },
        (_req, body, done) => done(null, body),
      );

      hooks.post(
        '/twilio',
        {
          schema: schemaOf(
            'receiveTwilioStatus',
            "Twilio's SMS status callback (X-Twilio-Signature with the auth token)",
            'Form-encoded MessageSid, MessageStatus, ErrorCode as Twilio posts them to the StatusCallback URL.',
          ),
        },
        async (req) => {
          const { sms } = deps.config.messaging;
          const token = sms.provider === 'twilio' ? sms.auth_token : undefined;
          if (!token) throw unauthorized('Twilio is not the configured SMS provider');
          const params = new URLSearchParams(rawText(req));
          const sig = req.headers['x-twilio-signature'];
          const callback = twilioCallbackUrl(deps.config);
          const q = req.url.indexOf('?');
          const url = q >= 0 ? callback.split('?')[0] + req.url.slice(q) : callback;
          if (typeof sig !== 'string' || !safeEqual(sig, twilioSignature(token, url, params)))
            throw unauthorized('The X-Twilio-Signature is missing or wrong');
          const status = parseTwilio(params, deps.clock.now());
          const label = params.get('MessageStatus') ?? params.get('SmsStatus') ?? 'unknown';
          return apply('twilio', status, label.slice(0, 40), Object.fromEntries(params));
        },
      );

      hooks.post(
        '/webhook',
        {
          schema: schemaOf(
            'receiveWebhookStatus',
            'Delivery status from the generic SMS or push webhook receiver (signed like Plaza webhooks)',
            'JSON {id | provider_message_id, status: delivered|bounced|complained|failed|opened|clicked, permanent?, detail?}, ' +
              'signed with PLAZA_SMS_WEBHOOK_SECRET or PLAZA_PUSH_WEBHOOK_SECRET (Standard Webhooks headers).',
          ),
        },
        async (req) => {
          const { sms, push } = deps.config.messaging;
          const text = rawText(req);
          const signer = standardSigner(
            { 'sms-webhook': sms.webhook_secret, 'push-webhook': push.webhook_secret },
            req.headers,
            text,
            nowSeconds(),
          );
          if (!signer) throw unauthorized('The webhook signature is missing, wrong or too old');
          const { status, payload } = parseGeneric(signer, text, deps.clock.now());
          return apply(signer, status, status.status, payload);
        },
      );

      hooks.post(
        '/smtp',
        {
          schema: schemaOf(
            'receiveSmtpFeedback',
            'Bounces and complaints of e-mail sent over SMTP (signed with PLAZA_SMTP_WEBHOOK_SECRET)',
            'JSON {message_id (<msg_…@plaza>) | send_id, type: bounce|complaint, permanent?, detail?} (Standard Webhooks headers).',
          ),
        },
        async (req) => {
          const secret = deps.config.messaging.smtpWebhookSecret;
          const text = rawText(req);
          if (!standardSigner({ smtp: secret }, req.headers, text, nowSeconds()))
            throw unauthorized('The webhook signature is missing, wrong or too old');
          const { status, payload } = parseSmtpFeed(text, deps.clock.now());
          return apply('smtp', status, status.status, payload);
        },
      );
    },
    { prefix: '/hooks/messaging' },
  );
};
