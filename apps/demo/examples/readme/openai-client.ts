import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.CASCADE_KEY, baseURL: 'http://127.0.0.1:8787/v1' });
const question = 'Josh decides to try flipping a house. He buys a house for $80,000 and then puts in $50,000 in repairs. This increased the value of the house by 150%. How much profit did he make?';
const completion = await client.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: question }] });
console.log(completion.model, completion.choices[0]?.message.content); // + a `cascade` field: attempts, cost_usd, savings

const stream = await client.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: question }], stream: true });
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
