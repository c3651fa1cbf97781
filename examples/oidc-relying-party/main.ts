/** Runs the example app: BASTION_ISSUER, CLIENT_ID, CLIENT_SECRET, PORT (default 4000). */
import { createExampleApp } from './app.ts';

const port = Number(process.env.PORT ?? 4000);
const baseUrl = `http://localhost:${port}`;
const { app } = await createExampleApp({
  issuer: process.env.BASTION_ISSUER ?? 'http://localhost:3000/oidc',
  clientId: process.env.CLIENT_ID ?? '',
  clientSecret: process.env.CLIENT_SECRET ?? '',
  baseUrl,
});
await app.listen({ port, host: 'localhost' });
console.log(`Example app on ${baseUrl} (register it: npx bastion oidc clients add --name "Example app" --redirect-uri ${baseUrl}/callback --post-logout-redirect-uri ${baseUrl}/ --backchannel-logout-uri ${baseUrl}/backchannel-logout)`);
