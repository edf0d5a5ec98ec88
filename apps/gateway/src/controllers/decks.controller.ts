import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Inject, Param, Patch, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { type AccessTokenClaims, ConflictError, DATASET_TYPES, NotFoundError, PIPELINE_ROLES } from '@vista/contracts';
import type { Response } from 'express';
import { DeckUploadCommands, type UploadedDeckFile } from '../commands/deck-upload.commands.js';
import { ResourceCommands } from '../commands/resource.commands.js';
import { DeckDownloadQuery, DeckListQuery, UpdateDeckRequest } from '../dto/deck.request.js';
import { Deck, DeckPage, DeckSummary } from '../dto/deck.response.js';
import { DeckIdParams } from '../dto/path.params.js';
import { DECK_FORMATS, UploadDeckFields } from '../dto/upload-deck.request.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { ApiIdempotencyKey, IdempotencyKeyOf } from '../http/idempotency-key.js';
import { ifNoneMatchHits, sendNotModified, setVersion, weakEtag } from '../http/etag.js';
import { Authenticated, RequireRoles } from '../http/route-policy.decorator.js';
import { DeckQueries } from '../queries/deck.queries.js';
import { FreshnessQueries } from '../queries/freshness.queries.js';
import { assertRange } from '../queries/listing.js';
import { Caller } from '@vista/identity';
import { OwnershipQueries, ownerFilter, viewerOf } from '../queries/ownership.queries.js';

@ApiBearerAuth()
@ApiTags('decks')
@Controller('api/v1/decks')
export class DecksController {
  constructor(
    @Inject(DeckQueries) private readonly decks: DeckQueries,
    @Inject(DeckUploadCommands) private readonly uploads: DeckUploadCommands,
    @Inject(OwnershipQueries) private readonly owners: OwnershipQueries,
    @Inject(ResourceCommands) private readonly commands: ResourceCommands,
    @Inject(FreshnessQueries) private readonly freshness: FreshnessQueries,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'List datasets (decks): filter by type, name, owner and time stored, search name and description; keyset pages',
    description:
      "A user sees their own datasets, an admin everyone's. Archived datasets are left out unless `archived=include|only`. " +
      'Page on with `cursor` (no row is repeated or skipped while rows are added); `freshness` (and `Vista-Position`) says which events the list reflects.',
  })
  @ApiOkResponse({ type: DeckPage })
  @ApiProblems(400, 403)
  list(@Query() query: DeckListQuery, @Caller() caller: AccessTokenClaims, @Res({ passthrough: true }) res: Response): Promise<DeckPage> {
    assertRange('createdFrom', query.createdFrom, 'createdTo', query.createdTo);
    const owner = ownerFilter(viewerOf(caller), query.owner, 'datasets');
    return this.freshness.around(res, () =>
      this.decks.list(
        {
          datasetType: query.datasetType,
          name: query.name,
          q: query.q,
          owner,
          createdFrom: query.createdFrom,
          createdTo: query.createdTo,
          archived: query.archived,
        },
        query,
      ),
    );
  }

  @Post()
  @RequireRoles(...PIPELINE_ROLES.operate)
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
  @ApiProblems(400, 409, 413, 422, 503)
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
  @Authenticated()
  @ApiOperation({ summary: 'A stored deck with its column statistics' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiOkResponse({ type: Deck, headers: { ETag: { description: 'W/"deck-<deckId>-<position>"', schema: { type: 'string' } } } })
  @ApiNotModifiedResponse({ description: 'Unchanged since the ETag given in If-None-Match.' })
  @ApiProblems(400, 404)
  async get(
    @Param() { deckId }: DeckIdParams,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
    @Caller() caller: AccessTokenClaims,
  ): Promise<void> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.deck(deckId), `deck ${deckId}`);
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

  @Patch(':deckId')
  @RequireRoles(...PIPELINE_ROLES.operate)
  @ApiOperation({
    summary: "Change a dataset's name, description, type or ground-truth path (the stored table never changes)",
    description: 'Recorded as DeckUpdated with its actor. Only its owner or an admin may change it. Null clears description or ground truth.',
  })
  @ApiOkResponse({ type: Deck })
  @ApiProblems(400, 403, 404, 409, 503)
  async update(
    @Param() { deckId }: DeckIdParams,
    @Body() body: UpdateDeckRequest,
    @CommandCallOf() call: CommandCall,
    @Caller() caller: AccessTokenClaims,
  ): Promise<Deck> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.deck(deckId), `deck ${deckId}`);
    if (!(await this.decks.get(deckId))) throw new NotFoundError(`deck ${deckId} does not exist`);
    const profile = await this.commands.updateDeck({ deckId, ...body }, call);
    const deck = (await this.decks.get(deckId))!;
    // The answer shows the change even before the read model has folded it.
    return { ...deck, ...profile };
  }

  @Post(':deckId/archive')
  @RequireRoles(...PIPELINE_ROLES.operate)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Archive a dataset: left out of default lists, still readable by id (`archived: true`); nothing is deleted',
    description: 'Refused with 409 while a run that uses it has not ended, and for a dataset already archived. Recorded as DeckArchived with its actor.',
  })
  @ApiOkResponse({ type: Deck })
  @ApiProblems(400, 403, 404, 409, 503)
  async archive(@Param() { deckId }: DeckIdParams, @CommandCallOf() call: CommandCall, @Caller() caller: AccessTokenClaims): Promise<Deck> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.deck(deckId), `deck ${deckId}`);
    const deck = await this.decks.get(deckId);
    if (!deck) throw new NotFoundError(`deck ${deckId} does not exist`);
    const running = await this.decks.runningRunsUsing(deckId);
    if (running.length > 0) {
      throw new ConflictError(
        `deck ${deckId} is used by ${running.length === 1 ? 'a run' : `${running.length} runs`} that has not ended (${running
          .map((r) => `run ${r.runId} of kit ${r.kitId}, ${r.status}`)
          .join('; ')}); archive it once they end`,
      );
    }
    if (deck.archived) throw new ConflictError(`deck ${deckId} is already archived`);
    const profile = await this.commands.archiveDeck(deckId, call);
    return { ...deck, ...profile };
  }

  @Get(':deckId/download')
  @Authenticated()
  @ApiOperation({ summary: "Download a dataset's stored table (CSV by default, or JSON with its columns, factors and responses)" })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'The table, as an attachment.' })
  @ApiProblems(400, 404, 503)
  async download(
    @Param() { deckId }: DeckIdParams,
    @Query() query: DeckDownloadQuery,
    @CommandCallOf() call: CommandCall,
    @Caller() caller: AccessTokenClaims,
    @Res() res: Response,
  ): Promise<void> {
    OwnershipQueries.assertVisible(viewerOf(caller), await this.owners.deck(deckId), `deck ${deckId}`);
    if (!(await this.decks.get(deckId))) throw new NotFoundError(`deck ${deckId} does not exist`);
    const file = await this.commands.downloadDeck(deckId, query.format, call);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.status(HttpStatus.OK).send(Buffer.from(file.data));
  }
}
