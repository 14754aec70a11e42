import type { Block, ReportModel } from '../../core/report/model.js';
import { ReportChart } from './chart.js';
import { reportCss } from './style.js';

/** tocPages: chapter id → the PDF page it starts on, once the printer has paginated the report (print only). */
export function Report({ model, tocPages }: { model: ReportModel; tocPages?: Record<string, number> | null }) {
  const m = model.meta;
  return (
    <>
      <style>{reportCss(m.paper, m.orientation)}</style>
      <section className="cover">
        <div className="brand">Ekimae 駅前</div>
        <h1>{m.title}</h1>
        <p className="subtitle">{m.subtitle}</p>
        <dl>
          <dt>Site</dt><dd>{m.site}</dd>
          {m.client && (<><dt>Client</dt><dd>{m.client}</dd></>)}
          <dt>Date</dt><dd>{m.date}</dd>
          {m.scenarios.length > 0 && (<><dt>Scenarios</dt><dd>{m.scenarios.join(', ')}</dd></>)}
          <dt>Project file</dt><dd>{m.projectFile}</dd>
          <dt>Content digest</dt><dd className="mono">{m.projectDigest}</dd>
          <dt>Made with</dt><dd>{m.generator}</dd>
        </dl>
      </section>
      <nav className="toc" aria-label="Contents">
        <h2>Contents</h2>
        <ol>{model.sections.map((s) => (
          <li key={s.id}><a href={`#${s.id}`}>{s.title}</a>{tocPages?.[s.id] !== undefined && <span className="page" data-print-only="">{tocPages[s.id]}</span>}</li>
        ))}</ol>
      </nav>
      {model.sections.map((s, i) => (
        <section key={s.id} id={s.id} className={s.pageBreak ? 'chapter break' : 'chapter'}>
          <h2>{i + 1}. {s.title}</h2>
          {s.blocks.map((b, j) => <BlockView key={j} block={b} />)}
        </section>
      ))}
    </>
  );
}

/** Tables longer than this may break across pages (a row is 12–40 pt high: 12 rows fit on any page). */
const LONG_TABLE_ROWS = 12;

function BlockView({ block: b }: { block: Block }) {
  switch (b.kind) {
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
