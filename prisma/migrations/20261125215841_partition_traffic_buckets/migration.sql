-- Raw traffic buckets partitioned by day (event time). The stream worker creates the partition of each day before
-- its first write and drops partitions past the retention. Minute and hour rollups, maintained in the same
-- transaction as the raw upserts, serve long chart ranges and outlive the raw retention.

-- The unpartitioned table moves aside, and its rows are copied into day partitions below.
ALTER TABLE "traffic_bucket" RENAME TO "traffic_bucket_unpartitioned";
ALTER TABLE "traffic_bucket_unpartitioned" RENAME CONSTRAINT "traffic_bucket_pkey" TO "traffic_bucket_unpartitioned_pkey";
ALTER INDEX "traffic_bucket_country_bucket_start_idx" RENAME TO "traffic_bucket_unpartitioned_country_bucket_start_idx";
ALTER INDEX "traffic_bucket_country_seq_idx" RENAME TO "traffic_bucket_unpartitioned_country_seq_idx";
-- Keep the change sequence (live clients resume after its values), owned by no table while we swap.
ALTER SEQUENCE "traffic_bucket_seq_seq" OWNED BY NONE;

CREATE TABLE "traffic_bucket" (
    "country" VARCHAR(2) NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "window_seconds" INTEGER NOT NULL,
    "actions" INTEGER NOT NULL,
    "page_views" INTEGER NOT NULL,
    "video_starts" INTEGER NOT NULL,
    "live_blog_opens" INTEGER NOT NULL,
    "shares" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT nextval('traffic_bucket_seq_seq'),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "traffic_bucket_pkey" PRIMARY KEY ("country","sport","bucket_start")
) PARTITION BY RANGE ("bucket_start");
ALTER SEQUENCE "traffic_bucket_seq_seq" OWNED BY "traffic_bucket"."seq";

CREATE INDEX "traffic_bucket_country_bucket_start_idx" ON "traffic_bucket"("country", "bucket_start");
CREATE INDEX "traffic_bucket_country_seq_idx" ON "traffic_bucket"("country", "seq");

-- One partition per UTC day that already has rows, named traffic_bucket_pYYYYMMDD as the worker names them.
DO $$
DECLARE
    day date;
BEGIN
    FOR day IN SELECT DISTINCT (bucket_start AT TIME ZONE 'UTC')::date FROM "traffic_bucket_unpartitioned" LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF "traffic_bucket" FOR VALUES FROM (%L) TO (%L)',
            'traffic_bucket_p' || to_char(day, 'YYYYMMDD'),
            (day::timestamp AT TIME ZONE 'UTC'),
            ((day + 1)::timestamp AT TIME ZONE 'UTC')
        );
    END LOOP;
END $$;

INSERT INTO "traffic_bucket" SELECT * FROM "traffic_bucket_unpartitioned";
DROP TABLE "traffic_bucket_unpartitioned";

CREATE TABLE "traffic_minute" (
    "country" VARCHAR(2) NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "actions" INTEGER NOT NULL,
    "page_views" INTEGER NOT NULL,
    "video_starts" INTEGER NOT NULL,
    "live_blog_opens" INTEGER NOT NULL,
    "shares" INTEGER NOT NULL,

    CONSTRAINT "traffic_minute_pkey" PRIMARY KEY ("country","sport","bucket_start")
);
CREATE INDEX "traffic_minute_country_bucket_start_idx" ON "traffic_minute"("country", "bucket_start");

CREATE TABLE "traffic_hour" (
    "country" VARCHAR(2) NOT NULL,
    "sport" VARCHAR(40) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "actions" INTEGER NOT NULL,
    "page_views" INTEGER NOT NULL,
    "video_starts" INTEGER NOT NULL,
    "live_blog_opens" INTEGER NOT NULL,
    "shares" INTEGER NOT NULL,

    CONSTRAINT "traffic_hour_pkey" PRIMARY KEY ("country","sport","bucket_start")
);
CREATE INDEX "traffic_hour_country_bucket_start_idx" ON "traffic_hour"("country", "bucket_start");

INSERT INTO "traffic_minute"
SELECT country, sport, date_trunc('minute', bucket_start, 'UTC'), sum(actions), sum(page_views), sum(video_starts),
       sum(live_blog_opens), sum(shares)
FROM "traffic_bucket" GROUP BY 1, 2, 3;
INSERT INTO "traffic_hour"
SELECT country, sport, date_trunc('hour', bucket_start, 'UTC'), sum(actions), sum(page_views), sum(video_starts),
       sum(live_blog_opens), sum(shares)
FROM "traffic_bucket" GROUP BY 1, 2, 3;
