/**
 * Visitor screenshots (CONV-SCREENSHOT-19), nothing to install: an image pasted, dragged in or picked, or 截屏 — the
 * browser's screen capture, one frame of the screen, window or tab the visitor chooses — waits in a preview where a drag
 * selects the area; 发送 uploads it (or the whole image), 取消 drops it. The 截屏 tool switch controls the button and pasting.
 */
import { t } from './i18n.ts';

interface Area {
  x: number;
  y: number;
  w: number;
  h: number;
}

const canCapture = () => typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;
const imageOf = (files: FileList | null | undefined) => [...(files ?? [])].find((f) => f.type.startsWith('image/')) ?? null;

/** One frame of a screen the visitor picks, as a PNG; null when they close the browser's picker. */
async function captureScreen(): Promise<File | null> {
  let stream: MediaStream | null = null;
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    // The first frame may come a moment after play() resolves.
    for (let i = 0; i < 150 && !video.videoWidth; i++) await new Promise((r) => setTimeout(r, 20));
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')!.drawImage(video, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    return blob ? new File([blob], `screenshot-${Date.now()}.png`, { type: 'image/png' }) : null;
  } catch (err) {
    // Closing the browser's picker is a choice, not a failure.
    if ((err as DOMException)?.name !== 'NotAllowedError') console.warn('[Kefu] screen capture failed', err);
    return null;
  } finally {
    stream?.getTracks().forEach((track) => track.stop());
  }
}

/** The selected area of the image, in the image's own pixels, as a new PNG. */
async function crop(file: File, img: HTMLImageElement, area: Area): Promise<File> {
  const sx = img.naturalWidth / img.clientWidth;
  const sy = img.naturalHeight / img.clientHeight;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(area.w * sx));
  canvas.height = Math.max(1, Math.round(area.h * sy));
  canvas.getContext('2d')!.drawImage(img, area.x * sx, area.y * sy, area.w * sx, area.h * sy, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  return blob ? new File([blob], file.name.replace(/\.\w+$/, '') + '-area.png', { type: 'image/png' }) : file;
}

/** The preview layer: the image, a drag selection, 发送 and 取消. */
function preview(file: File, send: (f: File) => void) {
  const layer = document.createElement('div');
  layer.className = 'shot';
  layer.setAttribute('role', 'dialog');
  layer.setAttribute('aria-label', t('shotTitle'));
  const hint = document.createElement('p');
  hint.textContent = t('shotHint');
  const stage = document.createElement('div');
  stage.className = 'shot-stage';
  const img = document.createElement('img');
  const url = URL.createObjectURL(file);
  img.src = url;
  img.alt = file.name;
  img.draggable = false;
  const box = document.createElement('div');
  box.className = 'shot-area';
  box.hidden = true;
  stage.append(img, box);
  const actions = document.createElement('div');
  actions.className = 'shot-actions';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'plain';
  cancel.textContent = t('cancel');
  const ok = document.createElement('button');
  ok.type = 'button';
  ok.className = 'primary';
  ok.textContent = t('send');
  actions.append(cancel, ok);
  layer.append(hint, stage, actions);

  let area: Area | null = null;
  let start: { x: number; y: number } | null = null;
  const point = (e: PointerEvent) => {
    const r = img.getBoundingClientRect();
    return { x: Math.min(Math.max(e.clientX - r.left, 0), r.width), y: Math.min(Math.max(e.clientY - r.top, 0), r.height) };
  };
  img.addEventListener('pointerdown', (e) => {
    start = point(e);
    img.setPointerCapture(e.pointerId);
  });
  img.addEventListener('pointermove', (e) => {
    if (!start) return;
    const p = point(e);
    area = { x: Math.min(start.x, p.x), y: Math.min(start.y, p.y), w: Math.abs(p.x - start.x), h: Math.abs(p.y - start.y) };
    Object.assign(box.style, { left: `${area.x}px`, top: `${area.y}px`, width: `${area.w}px`, height: `${area.h}px` });
    box.hidden = area.w < 4 || area.h < 4;
  });
  img.addEventListener('pointerup', () => (start = null));

  const close = () => {
    URL.revokeObjectURL(url);
    layer.remove();
  };
  cancel.addEventListener('click', close);
  layer.addEventListener('keydown', (e) => e.key === 'Escape' && close());
  ok.addEventListener('click', async () => {
    const chosen = area && !box.hidden ? await crop(file, img, area) : file;
    close();
    send(chosen);
  });
  document.body.append(layer);
  ok.focus();
}

export function setupShots(o: {
  button: HTMLButtonElement;
  input: HTMLTextAreaElement;
  dropZone: HTMLElement;
  /** The 截屏 tool switch and an open conversation. */
  enabled: () => boolean;
  send: (file: File) => void;
}) {
  const offer = (file: File | null) => file && o.enabled() && preview(file, o.send);
  o.button.addEventListener('click', async () => offer(await captureScreen()));
  o.input.addEventListener('paste', (e) => {
    const image = imageOf(e.clipboardData?.files);
    if (!image || !o.enabled()) return;
    e.preventDefault();
    offer(image);
  });
  o.dropZone.addEventListener('dragover', (e) => o.enabled() && e.preventDefault());
  o.dropZone.addEventListener('drop', (e) => {
    const image = imageOf(e.dataTransfer?.files);
    if (!image || !o.enabled()) return;
    e.preventDefault();
    offer(image);
  });
  return { show: (on: boolean) => (o.button.hidden = !on || !canCapture()), preview: (file: File) => preview(file, o.send) };
}
