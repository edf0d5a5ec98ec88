import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Inject, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { DATASET_TYPES, NotFoundError } from '@vista/contracts';
import type { Response } from 'express';
import { DeckUploadCommands, type UploadedDeckFile } from '../commands/deck-upload.commands.js';
import { Deck, DeckSummary } from '../dto/deck.response.js';
import { DeckIdParams } from '../dto/path.params.js';
import { DECK_FORMATS, UploadDeckFields } from '../dto/upload-deck.request.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { ApiIdempotencyKey, IdempotencyKeyOf } from '../http/idempotency-key.js';
import { ifNoneMatchHits, sendNotModified, setVersion, weakEtag } from '../http/etag.js';
import { DeckQueries } from '../queries/deck.queries.js';

@ApiTags('decks')
@Controller('api/v1/decks')
export class DecksController {
  constructor(
    @Inject(DeckQueries) private readonly decks: DeckQueries,
    @Inject(DeckUploadCommands) private readonly uploads: DeckUploadCommands,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({ summary: 'Upload a deck (CSV or JSON table of factor and response columns); the deck service validates and stores it' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'name', 'datasetType'],
      properties: {
        file: { type: 'string', format: 'binary' },
        name: { type: 'string', maxLength: 200 },
        datasetType: { type: 'string', enum: [...DATASET_TYPES] },
        format: { type: 'string', enum: [...DECK_FORMATS], description: "Defaults to the file name's extension." },
        factors: { type: 'array', items: { type: 'string' }, description: 'Comma-separated or repeated.' },
        responses: { type: 'array', items: { type: 'string' }, description: 'Comma-separated or repeated.' },
        groundTruth: { type: 'string', maxLength: 500 },
      },
    },
  })
  @ApiCreatedResponse({ type: DeckSummary, headers: { Location: { description: '/api/v1/decks/{deckId}', schema: { type: 'string' } } } })
  @ApiIdempotencyKey()
  @ApiProblems(400, 409, 413, 422, 503, 504)
  async upload(
    @UploadedFile() file: UploadedDeckFile | undefined,
    @Body() fields: UploadDeckFields,
    @CommandCallOf() call: CommandCall,
    @IdempotencyKeyOf() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeckSummary> {
    const summary = await this.uploads.ingest(file, fields, call, idempotencyKey);
    res.setHeader('Location', `/api/v1/decks/${summary.deckId}`);
    return summary;
  }

  @Get(':deckId')
  @ApiOperation({ summary: 'A stored deck with its column statistics' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiOkResponse({ type: Deck, headers: { ETag: { description: 'W/"deck-<deckId>-<position>"', schema: { type: 'string' } } } })
  @ApiNotModifiedResponse({ description: 'Unchanged since the ETag given in If-None-Match.' })
  @ApiProblems(400, 404)
  async get(@Param() { deckId }: DeckIdParams, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): Promise<void> {
    const deck = await this.decks.get(deckId);
    if (!deck) throw new NotFoundError(`deck ${deckId} does not exist`);
    const etag = weakEtag('deck', deckId, deck.position);
    if (ifNoneMatchHits(ifNoneMatch, etag)) {
      sendNotModified(res, etag, deck.position);
      return;
    }
    setVersion(res, etag, deck.position);
    res.status(HttpStatus.OK).json(deck);
  }
}
