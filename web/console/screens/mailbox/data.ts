/** Mailbox: types from the generated client. */
import type { paths } from '@plaza/client';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type MailboxList = Json<paths['/admin/mailbox']['get']['responses'][200]>;
export type MailboxMessage = Json<paths['/admin/mailbox/{id}']['get']['responses'][200]>;
