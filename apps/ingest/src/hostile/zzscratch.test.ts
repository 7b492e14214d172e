import { ingestFile } from '@tally/domain';
import { InMemoryObjectSource, InMemoryStagingStore, RecordingAggregationRequests, RecordingMessageSink } from '@tally/domain/testing';
import { createRowValidators } from '@tally/schema';
import { deflateRawSync, gzipSync } from 'node:zlib';

const H = {
  customers: 'customer_reference,first_name,last_name,status',
  orders: 'order_reference,customer_reference,order_status,order_timestamp',
  items: 'order_reference,item_name,quantity,total_price',
};
const cases: [string, string, string | Buffer][] = [
  ['latin1', 'customers.csv', Buffer.from(`${H.customers}\nC1,José,L,active\n`, 'latin1')],
  ['utf16', 'customers.csv', Buffer.from(`\uFEFF${H.customers}\nC1,A,B,c\n`, 'utf16le')],
  ['nul', 'customers.csv', Buffer.from(`${H.customers}\nC1,A\0,B,c\n`)],
  ['unclosed', 'customers.csv', `${H.customers}\nC1,A,B,c\nC2,"A,B,c\nC3,A,B,c\n`],
  ['stray', 'customers.csv', `${H.customers}\nC1,5" screen,B,c\nC2,A,B,c\nC3,A,B,c\n`],
  ['stray2', 'customers.csv', `${H.customers}\nC1,5" screen,B,c\nC2,A,B,c\nC3,7" tab,B,c\nC4,A,B,c\n`],
  ['headeronly', 'customers.csv', `${H.customers}\n`],
  ['empty', 'customers.csv', ''],
  ['bom', 'customers.csv', '\uFEFF'],
  ['ws', 'customers.csv', `${H.customers}\n   \n\t\nC1,A,B,c\n \n`],
  ['dup', 'customers.csv', `${H.customers},status\nC1,A,B,c,d\n`],
  ['cr', 'customers.csv', `${H.customers}\rC1,A,B,c\rC2,A,B,c\r`],
  ['mixed', 'customers.csv', `${H.customers}\r\nC1,A,B,c\nC2,A,B,c\r\nC3,A,B,c`],
  ['trailing', 'customers.csv', `${H.customers},\nC1,A,B,c,\nC2,A,B,c\n`],
  ['fields', 'customers.csv', `${H.customers}\nC1,A,B,c,x\nC2,A,B\n`],
  ['formula', 'orders.csv', `${H.orders}\n=cmd|' /C calc'!A0,+1+1,@SUM(1),1700000000\n-2+3,C1,new,1\n`],
  ['exp', 'items.csv', `${H.items}\nO1,pen,1e3,1e3\nO1,pen,"1,000","1,000"\nO1,pen,1,${'9'.repeat(30)}\nO1,p,-1,1\nO1,p,0,1\n`],
  ['ts', 'orders.csv', `${H.orders}\nO1,C1,new,253402300800\nO2,C1,new,-1\nO3,C1,new,253402300799\n`],
  ['zip', 'items.csv', Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1'), deflateRawSync(Buffer.from(`${H.items}\nO1,pen,1,1\n`.repeat(20)))])],
  ['gzip', 'items.csv', gzipSync(Buffer.from(`${H.items}\nO1,pen,1,1\n`))],
  ['crlate', 'customers.csv', `${H.customers}\nC1,A,B,c\rC2,A,B,c\r`],
  ['nfc', 'customers.csv', `${H.customers}\n${'é'.normalize('NFC')},A,B,c\n${'é'.normalize('NFD')},A,B,c\n`],
];
it('explores', async () => {
  for (const [name, file, content] of cases) {
    const source = new InMemoryObjectSource(64 * 1024);
    const store = new InMemoryStagingStore();
    const sink = new RecordingMessageSink();
    const aggregation = new RecordingAggregationRequests();
    const outcome = await ingestFile(source.put(`incoming/b/${file}`, content), { source, store, sink, aggregation, validators: createRowValidators() }, { inputPrefix: 'incoming/', maxObjectBytes: 2 ** 30, maxLineBytes: 2 ** 20, maxRowErrors: 1000 });
    process.stdout.write(`\n### ${name}: ${JSON.stringify(outcome)}\n${sink.messages.map((m) => m.body).join('\n')}\n`);
  }
});
