/** Where each emulated AWS service listens (`http://127.0.0.1:<port>`). */
export interface EmulatorEndpoints {
  s3: string;
  sqs: string;
  dynamodb: string;
}

/** Running emulators: their endpoints, and `stop()` to close them. */
export interface Emulators {
  endpoints: EmulatorEndpoints;
  stop(): Promise<void>;
}

/** Starts fauxqs (S3 + SQS) and dynalite (DynamoDB) on 127.0.0.1 with ephemeral ports. */
export declare const startEmulators: () => Promise<Emulators>;
