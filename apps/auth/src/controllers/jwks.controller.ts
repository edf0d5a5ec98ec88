import { Controller, Get, Header } from '@nestjs/common';
import { JWKS_PATH } from '@vista/contracts';
import { TokenSigner } from '../tokens/token-signer.js';

/** The public keys access tokens are verified with, on the auth service's HTTP port. */
@Controller()
export class JwksController {
  constructor(private readonly signer: TokenSigner) {}

  @Get(JWKS_PATH)
  @Header('cache-control', 'public, max-age=300')
  jwks() {
    return this.signer.jwks();
  }
}
