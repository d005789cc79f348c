/**
 * The faces found in a photo, drawn over it in the detail view (with the person's name where
 * the user gave one). The photo is shown `object-fit: contain` in the stage, so the boxes are
 * placed over the rectangle it actually fills.
 */
import { useEffect, useRef, useState } from 'react';
import { useAvailable } from '../../api/hooks';
import { useCall } from '../../api/queries';

export function FaceBoxes({ photoId, width, height }: { photoId: number; width: number | null; height: number | null }) {
  const available = useAvailable('photoFaces');
  const faces = useCall('photoFaces', { id: photoId }, { enabled: available });
  const layer = useRef<HTMLDivElement>(null);
  const [rect, setRect] = useState<{ left: number; top: number; width: number; height: number } | null>(null);
  useEffect(() => {
    const el = layer.current;
    if (!el || !width || !height) return;
    const fit = () => {
      const scale = Math.min(el.clientWidth / width, el.clientHeight / height);
      const w = width * scale;
      const h = height * scale;
      setRect({ left: (el.clientWidth - w) / 2, top: (el.clientHeight - h) / 2, width: w, height: h });
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    return () => observer.disconnect();
  }, [width, height]);
  const list = faces.data ?? [];
  return (
    <div className="detail-image face-boxes" ref={layer} data-testid="face-boxes">
      {rect &&
        list.map((f) => (
          <div
            key={f.faceId}
            className="face-box"
            data-testid="face-box"
            style={{
              left: rect.left + f.box[0] * rect.width,
              top: rect.top + f.box[1] * rect.height,
              width: f.box[2] * rect.width,
              height: f.box[3] * rect.height,
            }}
          >
            {f.personName && <span>{f.personName}</span>}
          </div>
        ))}
    </div>
  );
}
