import type { Block, ReportModel } from '../../core/report/model.js';
import { ReportChart } from './chart.js';
import { reportCss } from './style.js';

/** tocPages: chapter id → the PDF page it starts on, once the printer has paginated the report (print only). */
/** The page's own words come with the model (meta.labels, in the report's language); English when a model has none. */
const WORDS: Record<string, string> = {
  'cover.site': 'Site', 'cover.client': 'Client', 'cover.date': 'Date', 'cover.scenarios': 'Scenarios', 'cover.projectFile': 'Project file',
  'cover.digest': 'Content digest', 'cover.madeWith': 'Made with', toc: 'Contents', 'kind.existing': 'existing', 'kind.capacity': 'capacity', 'kind.projected': 'projected',
  'summary.col.figure': 'Figure', 'summary.col.value': 'Value', 'summary.col.kind': 'Kind', 'summary.col.note': 'Note',
};

export function Report({ model, tocPages }: { model: ReportModel; tocPages?: Record<string, number> | null }) {
  const m = model.meta;
  const w = (k: string) => m.labels?.[k] ?? WORDS[k] ?? k;
  return (
    <>
      <style>{reportCss(m.paper, m.orientation)}</style>
      <section className="cover">
        <div className="brand">Ekimae 駅前</div>
        <h1>{m.title}</h1>
        <p className="subtitle">{m.subtitle}</p>
        <dl>
          <dt>{w('cover.site')}</dt><dd>{m.site}</dd>
          {m.client && (<><dt>{w('cover.client')}</dt><dd>{m.client}</dd></>)}
          <dt>{w('cover.date')}</dt><dd>{m.date}</dd>
          {m.scenarios.length > 0 && (<><dt>{w('cover.scenarios')}</dt><dd>{m.scenarios.join(', ')}</dd></>)}
          <dt>{w('cover.projectFile')}</dt><dd>{m.projectFile}</dd>
          <dt>{w('cover.digest')}</dt><dd className="mono">{m.projectDigest}</dd>
          <dt>{w('cover.madeWith')}</dt><dd>{m.generator}</dd>
        </dl>
      </section>
      <nav className="toc" aria-label={w('toc')}>
        <h2>{w('toc')}</h2>
        <ol>{model.sections.map((s) => (
          <li key={s.id}><a href={`#${s.id}`}>{s.title}</a>{tocPages?.[s.id] !== undefined && <span className="page" data-print-only="">{tocPages[s.id]}</span>}</li>
        ))}</ol>
      </nav>
      {model.sections.map((s, i) => (
        <section key={s.id} id={s.id} className={s.pageBreak ? 'chapter break' : 'chapter'}>
          <h2>{i + 1}. {s.title}</h2>
          {s.blocks.map((b, j) => <BlockView key={j} block={b} w={w} />)}
        </section>
      ))}
    </>
  );
}

/** Tables longer than this may break across pages (a row is 12–40 pt high: 12 rows fit on any page). */
const LONG_TABLE_ROWS = 12;

function BlockView({ block: b, w }: { block: Block; w: (k: string) => string }) {
  switch (b.kind) {
    case 'headline':
      return (
        <figure className={b.items.length > LONG_TABLE_ROWS ? 'table headline long' : 'table headline'}>
          <table>
            <thead><tr><th>{w('summary.col.figure')}</th><th className="num">{w('summary.col.value')}</th><th>{w('summary.col.kind')}</th><th>{w('summary.col.note')}</th></tr></thead>
            <tbody>{b.items.map((it, i) => (
              <tr key={i} className={`kind-${it.kind}`}><td>{it.label}</td><td className="num value">{it.value}</td><td><span className={`badge ${it.kind}`}>{w(`kind.${it.kind}`)}</span></td><td>{it.note ?? ''}</td></tr>
            ))}</tbody>
          </table>
        </figure>
      );
    case 'text': return <p>{b.text}</p>;
    case 'list': return <ul>{b.items.map((t, i) => <li key={i}>{t}</li>)}</ul>;
    case 'keyFigures':
      return <div className="figures">{b.items.map((f, i) => <div key={i} className="figure"><div className="value">{f.value}</div><div className="label">{f.label}</div></div>)}</div>;
    case 'map':
      return <figure className="map"><div dangerouslySetInnerHTML={{ __html: b.svg }} /><figcaption>{b.caption}</figcaption></figure>;
    case 'chart':
      return <figure className="chart"><ReportChart spec={b.chart} /><figcaption>{b.caption}</figcaption></figure>;
    case 'table':
      return (
        <figure className={b.rows.length > LONG_TABLE_ROWS ? 'table long' : 'table'}>
          <table>
            <thead><tr>{b.columns.map((c, i) => <th key={i} className={c.align === 'right' ? 'num' : undefined}>{c.label}</th>)}</tr></thead>
            <tbody>{b.rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j} className={b.columns[j]?.align === 'right' ? 'num' : undefined}>{v}</td>)}</tr>)}</tbody>
          </table>
          <figcaption>{b.caption}{b.note ? ` — ${b.note}` : ''}</figcaption>
        </figure>
      );
  }
}
