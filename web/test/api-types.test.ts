/**
 * The web app declares by hand the JSON the server answers (web/src/api/types.ts,
 * web/src/privacy/api.ts). This file checks at compile time that those declarations still agree
 * with the server's own types, so neither side can drift from the other without a type error.
 * `tsc --noEmit -p web/test` (part of `npm run lint`) is what enforces the assertions; at run time
 * they do nothing.
 *
 * Which server type stands for an answer: the route's response schema (fastify-type-provider-zod
 * encodes every answer with it, which drops any field it does not list, so the schema is exactly
 * what goes out), and where a service type describes the answer, that type too (the server's own
 * `tsc` checks the handler's value against the schema through the zod type provider).
 *
 * Direction: what the server sends must fit what the web expects (`toExtend`), and the web must
 * not name a field the server does not send (its keys are a subset of the server's). Where the
 * two describe the same answer field for field, they must be equal (`toEqualTypeOf`).
 *
 * View, AlbumRole, MemberRole, LinkStatus are not answers but unions used inside them (or in a
 * query string); they are compared where the server has the same union.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type * as Web from '../src/api/types.js';
import type * as WebPrivacy from '../src/privacy/api.js';
import type { AlbumAccessRole } from '../../server/src/access/access.service.js';
import type { AlbumRole as ServerMemberRole } from '../../server/src/db/db.types.js';
import type {
  AlbumDetail,
  AlbumMember as ServerAlbumMember,
  AlbumItem as ServerAlbumItem,
  AlbumSummary as ServerAlbumSummary,
} from '../../server/src/modules/albums/albums.service.js';
import type {
  albumDetailSchema,
  albumSummarySchema,
  memberSchema,
} from '../../server/src/modules/albums/albums.routes.js';
import type { assetSchema } from '../../server/src/modules/assets/assets.view.js';
import type { privacyStatementSchema } from '../../server/src/modules/privacy/privacy.routes.js';
import type {
  LinkOptions as ServerLinkOptions,
  LinkUse as ServerLinkUse,
} from '../../server/src/modules/shares/shares.service.js';
import type {
  LinkStatus as ServerLinkStatus,
  PublicAsset as ServerPublicAsset,
  ShareLinkView,
} from '../../server/src/modules/shares/shares.views.js';
import type { contentSchema } from '../../server/src/modules/shares/shares.public.routes.js';
import type { linkSchema, linkUseSchema } from '../../server/src/modules/shares/shares.routes.js';
import type { LinkContent as ServerLinkContent } from '../../server/src/modules/shares/shares.visits.js';
import type { TimelineView } from '../../server/src/modules/timeline/timeline.repo.js';
import type { bucketPageSchema } from '../../server/src/modules/timeline/timeline.routes.js';
import type { TimelineService } from '../../server/src/modules/timeline/timeline.service.js';
import type { userSchema } from '../../server/src/modules/users/users.routes.js';
import type { UsersService } from '../../server/src/modules/users/users.service.js';

/**
 * What a value becomes after JSON.stringify and JSON.parse: a Date (anything with toJSON) turns
 * into what toJSON answers, a string for a Date; arrays and objects are converted member by member.
 * None of the server types compared here holds a Date today (they send ISO strings), but if one
 * starts to, the comparison stays about the JSON rather than the object in the server's memory.
 */
type Jsonified<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends { toJSON(): infer J }
    ? Jsonified<J>
    : T extends readonly (infer Item)[]
      ? Jsonified<Item>[]
      : { [K in keyof T]: Jsonified<T[K]> };

/** What a route sends with this response schema: the schema encodes the handler's value. */
type Sent<Schema extends z.ZodType> = Jsonified<z.input<Schema>>;

type Answer<Method extends (...args: never[]) => unknown> = Jsonified<Awaited<ReturnType<Method>>>;

type ServerAsset = Sent<typeof assetSchema>;
type ServerUser = Sent<typeof userSchema>;
type ServerPrivacyStatement = Sent<typeof privacyStatementSchema>;
type ServerLink = Jsonified<ShareLinkView>;

describe("the web app's API types", () => {
  it('the Jsonified helper turns a Date into the string JSON carries', () => {
    expectTypeOf<Jsonified<{ at: Date; list: Date[]; maybe: Date | null }>>().toEqualTypeOf<{
      at: string;
      list: string[];
      maybe: string | null;
    }>();
  });

  it('users and accounts', () => {
    // GET /api/users/me, /api/users, POST /api/auth/setup, /api/auth/login's user: userSchema.
    expectTypeOf<ServerUser>().toEqualTypeOf<Web.User>();
    // GET /api/users/me/usage.
    expectTypeOf<Answer<UsersService['usage']>>().toEqualTypeOf<Web.Usage>();
    // GET /api/users/directory.
    expectTypeOf<Answer<UsersService['directory']>[number]>().toEqualTypeOf<Web.DirectoryUser>();
  });

  it('the timeline', () => {
    // GET /api/timeline/buckets.
    expectTypeOf<Answer<TimelineService['buckets']>[number]>().toEqualTypeOf<Web.BucketSummary>();
    // GET /api/timeline/buckets/:bucket (the database writes its JSON text; the schema says it).
    expectTypeOf<Sent<typeof bucketPageSchema>>().toEqualTypeOf<Web.BucketPage>();
    // ?view=: every view the web asks for is one the server knows.
    expectTypeOf<Web.View>().toEqualTypeOf<TimelineView>();
  });

  it('an asset', () => {
    // GET/PATCH /api/assets/:id. The web reads a subset: the server also sends fileCreatedAt,
    // fileModifiedAt, uploadedAt, dateSource, locationSource, orientation, isLocked, trashedAt.
    expectTypeOf<ServerAsset>().toExtend<Web.Asset>();
    expectTypeOf<keyof Web.Asset>().toExtend<keyof ServerAsset>();
    // Each field the web does read has exactly the server's type.
    expectTypeOf<Pick<ServerAsset, keyof Web.Asset>>().toEqualTypeOf<Web.Asset>();
  });

  it('albums', () => {
    // GET /api/albums; POST /api/albums answers an AlbumDetail, which the web reads as a summary.
    expectTypeOf<Jsonified<ServerAlbumSummary>>().toEqualTypeOf<Web.AlbumSummary>();
    expectTypeOf<Jsonified<AlbumDetail>>().toExtend<Web.AlbumSummary>();
    // GET/PATCH /api/albums/:id.
    expectTypeOf<Jsonified<AlbumDetail>>().toEqualTypeOf<Web.Album>();
    expectTypeOf<Jsonified<ServerAlbumItem>>().toEqualTypeOf<Web.AlbumItem>();
    // PUT /api/albums/:id/members/:userId.
    expectTypeOf<Jsonified<ServerAlbumMember>>().toEqualTypeOf<Web.AlbumMember>();
    // What the albums routes' response schemas let through.
    expectTypeOf<Sent<typeof albumSummarySchema>>().toEqualTypeOf<Web.AlbumSummary>();
    expectTypeOf<Sent<typeof albumDetailSchema>>().toEqualTypeOf<Web.Album>();
    expectTypeOf<Sent<typeof memberSchema>>().toEqualTypeOf<Web.AlbumMember>();
    expectTypeOf<Web.AlbumRole>().toEqualTypeOf<AlbumAccessRole>();
    expectTypeOf<Web.MemberRole>().toEqualTypeOf<ServerMemberRole>();
  });

  it("an owner's share links", () => {
    // GET/POST /api/shares, GET/PATCH /api/shares/:id.
    expectTypeOf<ServerLink>().toEqualTypeOf<Web.ShareLink>();
    expectTypeOf<Web.LinkStatus>().toEqualTypeOf<ServerLinkStatus>();
    // GET /api/shares/:id/events.
    expectTypeOf<Jsonified<ServerLinkUse>>().toEqualTypeOf<Web.LinkUse>();
    expectTypeOf<Jsonified<ServerLinkUse>['events'][number]>().toEqualTypeOf<Web.LinkEvent>();
    expectTypeOf<Sent<typeof linkSchema>>().toEqualTypeOf<Web.ShareLink>();
    expectTypeOf<Sent<typeof linkUseSchema>>().toEqualTypeOf<Web.LinkUse>();
    // The body of POST/PATCH /api/shares goes the other way: what the web sends must be what the
    // server takes (the route's schema also bounds lengths and checks expiresAt's format).
    expectTypeOf<Web.LinkOptions>().toExtend<ServerLinkOptions>();
    expectTypeOf<Web.LinkOptions>().toEqualTypeOf<ServerLinkOptions>();
  });

  it("a link's public page", () => {
    // GET /api/s/:key.
    expectTypeOf<Jsonified<ServerLinkContent>>().toEqualTypeOf<Web.LinkContent>();
    expectTypeOf<Sent<typeof contentSchema>>().toEqualTypeOf<Web.LinkContent>();
    expectTypeOf<Jsonified<ServerPublicAsset>>().toEqualTypeOf<Web.PublicAsset>();
    expectTypeOf<
      NonNullable<Jsonified<ServerPublicAsset>['metadata']>
    >().toEqualTypeOf<Web.PublicAssetMetadata>();
  });

  it('the privacy statement', () => {
    // GET /api/privacy: privacyStatementSchema.
    expectTypeOf<ServerPrivacyStatement>().toEqualTypeOf<WebPrivacy.PrivacyStatement>();
    expectTypeOf<
      ServerPrivacyStatement['optionalProcessing'][number]
    >().toEqualTypeOf<WebPrivacy.OptionalProcessing>();
    // The register's entries as sent (the server's ActivityView, not privacy.register.ts's
    // ProcessingActivity, which is the register's source and is never sent as it is).
    expectTypeOf<
      ServerPrivacyStatement['register'][number]
    >().toEqualTypeOf<WebPrivacy.ProcessingActivity>();
  });
});
