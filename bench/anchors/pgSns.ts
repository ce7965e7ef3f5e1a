/**
 * Cold-start anchor for a publishing path: the pg pool plus the SNS client, publishing one message per
 * call (to the bench's loopback SNS endpoint). Bundled like ours (bench/coldStart.ts).
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const sns = new SNSClient({});

const handler = async (): Promise<{ statusCode: number; messageId: string | undefined }> => {
  const out = await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: '{}' }));
  return { statusCode: pool.totalCount === 0 ? 202 : 500, messageId: out.MessageId };
};

export { handler };
