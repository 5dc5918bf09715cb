/** The toast region, on Radix Toast (loaded with the first toast). */
import { Toast as RToast } from 'radix-ui';
import type { ToastItem } from './toaster.tsx';

const Toasts = ({ items, onClose }: { items: ToastItem[]; onClose: (id: number) => void }) => (
  <RToast.Provider duration={5000}>
    {items.map((i) => (
      <RToast.Root
        key={i.id}
        className="pz-toast"
        data-tone={i.tone}
        type={i.tone === 'danger' ? 'foreground' : 'background'}
        onOpenChange={(open) => !open && onClose(i.id)}
      >
        <RToast.Description>{i.message}</RToast.Description>
      </RToast.Root>
    ))}
    <RToast.Viewport className="pz-toasts" />
  </RToast.Provider>
);

export default Toasts;
